variable "cidr" { type = string }
variable "tgw_id" { type = string }

resource "aws_vpc" "this" { cidr_block = var.cidr }

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, 0)
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, 1)
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "a" { vpc_id = aws_vpc.this.id }
resource "aws_route_table" "b" { vpc_id = aws_vpc.this.id }

resource "aws_network_acl" "a" { vpc_id = aws_vpc.this.id }
resource "aws_network_acl" "b" { vpc_id = aws_vpc.this.id }

resource "aws_security_group" "a" { vpc_id = aws_vpc.this.id }
resource "aws_security_group" "b" { vpc_id = aws_vpc.this.id }

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.a.id]
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  transit_gateway_id = var.tgw_id
  vpc_id             = aws_vpc.this.id
  subnet_ids         = [aws_subnet.a.id]
}

resource "aws_ec2_transit_gateway_route_table" "x" { transit_gateway_id = var.tgw_id }
resource "aws_ec2_transit_gateway_route_table" "y" { transit_gateway_id = var.tgw_id }

output "subnet_a" { value = aws_subnet.a.id }
output "subnet_b" { value = aws_subnet.b.id }
output "rt_a" { value = aws_route_table.a.id }
output "rt_b" { value = aws_route_table.b.id }
output "nacl_a" { value = aws_network_acl.a.id }
output "nacl_b" { value = aws_network_acl.b.id }
output "sg_a" { value = aws_security_group.a.id }
output "sg_b" { value = aws_security_group.b.id }
output "tgw_rt_x" { value = aws_ec2_transit_gateway_route_table.x.id }
output "tgw_rt_y" { value = aws_ec2_transit_gateway_route_table.y.id }
output "attachment_id" { value = aws_ec2_transit_gateway_vpc_attachment.this.id }
output "vpc_id" { value = aws_vpc.this.id }
