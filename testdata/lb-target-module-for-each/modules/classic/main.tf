variable "subnet_ids" {
  type = list(string)
}

variable "security_group_id" {
  type = string
}

# Two Classic Load Balancers with names AWS makes: HTTP on 84 to the instances' 6060.
resource "aws_elb" "this" {
  subnets         = var.subnet_ids
  security_groups = [var.security_group_id]

  listener {
    lb_port           = 84
    lb_protocol       = "http"
    instance_port     = 6060
    instance_protocol = "http"
  }
}

resource "aws_elb" "spare" {
  subnets         = var.subnet_ids
  security_groups = [var.security_group_id]

  listener {
    lb_port           = 84
    lb_protocol       = "http"
    instance_port     = 6060
    instance_protocol = "http"
  }
}

output "name" {
  value = aws_elb.this.name
}

output "spare_name" {
  value = aws_elb.spare.name
}
